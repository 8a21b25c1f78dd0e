"""Training the embedded model's task adapter, outside the ``summarizer`` package.

Data (``python -m training.prepare``): public corpora -> the pipeline's own requests
with their gold answers, under ``training_exclusions.json``. ``sources/`` reads each
corpus with the eval suite's mappers, ``requests`` asks the pipeline for its requests,
``events`` fits gold events to the events draft, ``examples`` pairs the two,
``sampling`` caps, holds back and orders, ``exclusions`` enforces what may not be used.
Nothing here runs at import, and the package never imports from here.
"""
