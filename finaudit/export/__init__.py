"""Exports: the working paper (xlsx and a self-contained html page) and the tables as a workbook.
Imports model, read, audit and budget; never views.
"""
