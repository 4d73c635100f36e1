"""Subcommands of `lapwing` beyond extract and eval; thin layers over the library."""
