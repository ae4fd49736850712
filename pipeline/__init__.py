"""The editorial half of the newsroom: config, article format, intake, workflow, publish."""
