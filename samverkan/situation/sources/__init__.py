"""Pure parsers for the public data sources of the situation picture.

Plain Python (stdlib, pyproj, shapely): no Django imports, so they can be used and tested
without settings. The Django import commands and services build on these.
"""
