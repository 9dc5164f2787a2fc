"""Readers of client files: orders (one reader for every platform), WeCom statistics, members, campaigns."""
