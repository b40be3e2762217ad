"""Demo content for ``manage.py seed_demo``: a fictional newsroom in the port city of Alderport.

Everything here was written for this project. The city, its people, firms,
teams and the countries Maravia and Kestria are invented; the stories about
Iran's nuclear programme are our own neutral summaries, dated early 2025.
"""
