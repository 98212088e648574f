"""Admin for parties and organisations: see the editors' workflow."""
