"""Import and export, one module per format. Each reads and writes through the domain;
the domain never imports from here."""
