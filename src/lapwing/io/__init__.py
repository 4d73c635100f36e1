"""The edges: reading articles in, writing coded events out."""

from .readers import parse_published, read_articles
from .writers import FORMATS, format_table, write, write_json, write_jsonl

__all__ = ["FORMATS", "format_table", "parse_published", "read_articles", "write", "write_json", "write_jsonl"]
