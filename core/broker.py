"""The Redis transport for Celery, made to survive the broker going away while a
worker holds unacknowledged messages.

kombu's Redis QoS restores a worker's unacknowledged messages when its channel
closes. When the channel closes because Redis went away, the connection is
already gone and the restore raises ``AttributeError('NoneType' object has no
attribute 'hostname')``, which Celery treats as unrecoverable: the worker exits
for good. Here a restore that cannot reach Redis is logged and skipped: the
messages are still in Redis's unacked set (restored after the visibility
timeout) or, if Redis lost them, their outbox rows and the run reaper ask again.
"""

from __future__ import annotations

import logging

from kombu.transport import redis

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        try:
            return super().restore_unacked(client)
        except Exception as exc:  # AttributeError from kombu, or the connection error itself
            log.warning(
                "Could not restore %s unacknowledged message(s): the broker connection is gone (%r); "
                "Redis restores them after the visibility timeout",
                len(self._delivered),
                exc,
            )
            self._delivered.clear()


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
