"""The demo newsroom that ``manage.py seed_demo`` loads: a fictional newsroom in the port city of Alderport.

Its stories, pictures and readers' replies live here, the one app that
knows both ``articles`` and ``comments``; neither of them imports it.

Everything here was written for this project. The city, its people, firms,
teams and the countries Maravia and Kestria are invented; the stories about
Iran's nuclear programme are our own neutral summaries, dated early 2025.
"""
