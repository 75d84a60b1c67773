def notebook_json(setup, run=None):
    raise NotImplementedError
