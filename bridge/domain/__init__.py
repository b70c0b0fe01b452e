"""Pure domain: types, rules and read models. Imports nothing outside the standard library."""
