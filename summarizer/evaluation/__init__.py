"""The eval suite that ships with the package: fixtures, dataset loaders, scorers, runs."""
