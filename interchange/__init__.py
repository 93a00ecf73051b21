"""Records that travel: a case in the terms other agencies' systems use."""
