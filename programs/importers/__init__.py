"""Importers: one module per source format, each turning its source into `core.Row`s.

`sync.import_file()` runs any of them; FORMATS maps the command's --format to its module.
"""

from programs.importers import hsds, locator, otp, samhsa_api

FORMATS = {module.SOURCE: module for module in (locator, samhsa_api, otp, hsds)}
