"""The stages of the engine, in pipeline order."""
