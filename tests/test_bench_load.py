"""The load test's pieces that need no server: reading wrk's output and
gunicorn's access log, the wrk script, and the form a session save submits."""

from bench.load.mix import Kind, _FormFields
from bench.load.wrk import _lua, _parse_wrk, _per_kind

WRK = """Running 1m test @ http://127.0.0.1:40000/
  2 threads and 64 connections
  Latency Distribution
     50%   58.73ms
     75%   98.69ms
     90%  161.80ms
     99%    1.20s
  413 requests in 1.00m, 11.26MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:      6.88
"""


def test_wrk_output_is_read():
    figures = _parse_wrk(WRK)
    assert figures["requests"] == 413 and figures["rps"] == 6.88
    assert figures["p50_ms"] == 58.73 and figures["p99_ms"] == 1200.0
    assert figures["non2xx"] == 4 and figures["socket_errors"] == 3


def test_per_kind_figures_come_from_the_access_log(tmp_path):
    page = Kind("My goals", "demo-staff", "/goals/")
    save = Kind("Save", "demo-staff", "/goals/1/check-in/", method="POST", expect=302)
    log = tmp_path / "access.log"
    log.write_text(
        "GET /goals/ 200 40000\nGET /goals/ 200 60000\nGET /goals/ 500 90000\n"
        "POST /goals/1/check-in/ 302 30000\nPOST /goals/1/check-in/ 200 35000\nGET /healthz 200 1000\n"
    )
    rows = {r["page"].split(" (")[0]: r for r in _per_kind([page, save], log, seconds=10)}
    assert rows["My goals"]["requests"] == 3 and rows["My goals"]["errors"] == 1
    assert rows["My goals"]["p50_ms"] == 60.0 and rows["My goals"]["p99_ms"] == 90.0
    assert rows["Save"]["requests"] == 2 and rows["Save"]["errors"] == 1  # a 200 is a form with errors


def test_the_wrk_script_signs_each_request_and_warms_each_connection_up():
    page = Kind("My goals", "demo-staff", "/goals/", sessions=["s1", "s2"])
    save = Kind("Save", "demo-staff", "/goals/1/check-in/", method="POST", body="a=1&b=x", weight=1)
    save.sessions = ["s1"]
    public = Kind("Public", None, "/public/x/")
    script = _lua([page, save, public], "t" * 32, think_ms=10_000, per_thread=32)
    assert script.count('"/goals/"') == 4 and script.count('"/public/x/"') == 8  # anonymous as often
    assert '"Cookie"]="csrftoken=' + "t" * 32 + '; sessionid=s1"' in script
    assert '["X-CSRFToken"]="' + "t" * 32 + '"' in script and '"a=1&b=x"' in script
    assert 'wrk.format("GET", "/healthz")' in script and "local first = 32" in script


def test_the_session_form_is_submitted_as_a_browser_would():
    html = """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="x">
    <input name="held_on" value="18 5 2026"><textarea name="discussion">
Went well.</textarea><input type="radio" name="kind" value="a"><input type="radio" name="kind" value="b" checked>
    <input type="radio" name="overall" value="" checked><select name="owner"><option value="1">A</option>
    <option value="2" selected>B</option></select><select name="other"><option value="9">C</option></select>
    <button name="save" value="share">Share</button><button name="save" value="draft">Save</button></form>
    <form method="post"><input name="q"></form>"""
    parser = _FormFields()
    parser.feed(html)
    assert parser.drafts == [
        [
            ("csrfmiddlewaretoken", "x"),
            ("held_on", "18 5 2026"),
            ("discussion", "Went well."),
            ("kind", "b"),
            ("overall", ""),
            ("owner", "2"),
            ("other", "9"),
            ("save", "draft"),
        ]
    ]
