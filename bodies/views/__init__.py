"""Views of the bodies app, one module per part of the domain.

Each module is thin: parse, check permission through the access kernel, call a
service or selector, render.
"""
