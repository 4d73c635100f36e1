"""Actor resources: the organization dictionary, role nouns, and country names and demonyms."""

from .countries import CountryMatch, CountryNames, PhraseTable, country_name, is_known_code, load_countries
from .dictionary import (
    SECTORS,
    ActorDictionary,
    DictionaryEntry,
    Role,
    RoleTable,
    default_dictionary,
    default_roles,
    read_entries,
    read_roles,
)

__all__ = [
    "SECTORS", "ActorDictionary", "CountryMatch", "CountryNames", "DictionaryEntry", "PhraseTable", "Role",
    "RoleTable", "country_name", "default_dictionary", "default_roles", "is_known_code", "load_countries",
    "read_entries", "read_roles",
]
