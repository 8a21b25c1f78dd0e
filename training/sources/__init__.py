"""One module per corpus: ``read(folder, exclusions)`` maps it with the eval suite's own
dataset mappers and returns a :class:`training.corpus.Corpus`."""
