"""Exports: the working paper (xlsx and a self-contained html page) and the tables as a workbook.
Imports model, read, rules, audit, budget and the review ledger; never views.
"""
