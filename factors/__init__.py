"""Factor library: the unit registry, cited factor tables and the physical models.

This package imports nothing else of the project.
"""
