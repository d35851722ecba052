"""The shipped catalog (projects.json, from the seed documents) and the regions of Russia
(regions.json): data files only, read by catalog.seeding and catalog.regions."""
