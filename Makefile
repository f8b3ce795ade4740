# Everything sets itself up: the first target you run creates .venv and
# installs jlnlearn into it. Override the interpreter with PYTHON=python3.12.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: reports test lab catalogues clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("jlnlearn needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Building reports needs only the package itself; the test tools (JupyterLab,
# a browser driver) come on top, with rfc3987 so that jsonschema's format
# checkers do not cost every kernel about 2 s on its first figure.
$(VENV)/.installed-reports: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: $(VENV)/.installed-reports
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-lab: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[lab,test]'
	touch $@

## reports: set up, check the data and build every country's report into build/reports, in English and in French (build/reports/fr)
reports: $(VENV)/.installed-reports
	$(BIN)/jlnlearn validate
	$(BIN)/jlnlearn reports --out build/reports
	$(BIN)/jlnlearn reports --lang fr --out build/reports

## test: set up and run every test, on every core (the slow work some tests share starts first)
test: $(VENV)/.installed
	$(BIN)/python -m pytest -n auto

## lab: set up and open the notebooks in JupyterLab
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab

## catalogues: bring the translation catalogues (jlnlearn/locale) in step with the English text
catalogues: $(VENV)/.installed-reports
	$(BIN)/python -m jlnlearn.reports.catalogues

clean:
	rm -rf $(VENV) build .pytest_cache
