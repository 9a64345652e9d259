"""Kept: HTML or phrases a process works out once and keeps, under a key of everything they are
made from (so a key never goes stale and nothing needs invalidating); forgotten all at once when
`limit` are kept. The result cards' details, the listing phrases and the filter groups."""


class Kept:
    def __init__(self, limit: int):
        self.limit = limit
        self._values = {}

    def get(self, key, make):
        """The value kept under `key`, or make()'s, kept from now on."""
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= self.limit:
                self._values.clear()
            value = self._values[key] = make()
        return value
