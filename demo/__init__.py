"""Demo data: a fictional county council and a small second body, seeded by
``python manage.py seed_demo``. The product apps never import this package."""
