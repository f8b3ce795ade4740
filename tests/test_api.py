"""The public API is small, typed, documented and guarded."""

import inspect

import jlnlearn

EXPECTED_API = {
    "EXTRA_DATA_ENV", "Country", "DataValidationError", "JlnlearnError", "Problem",
    "UnknownCountryError", "UnknownTableError", "__version__", "build_reports", "check_rows", "countries", "country",
    "fact_counts", "load", "payment", "table_names", "use_language", "validate",
}


def test_all_lists_exactly_the_public_api():
    assert set(jlnlearn.__all__) == EXPECTED_API
    for name in jlnlearn.__all__:
        assert hasattr(jlnlearn, name), name


def test_public_callables_have_docstrings_and_type_hints():
    for name in jlnlearn.__all__:
        item = getattr(jlnlearn, name)
        if inspect.isfunction(item):
            assert inspect.getdoc(item), f"{name} has no docstring"
            signature = inspect.signature(item)
            assert signature.return_annotation is not inspect.Signature.empty, name
            for parameter in signature.parameters.values():
                assert parameter.annotation is not inspect.Parameter.empty, f"{name}({parameter.name})"
        elif inspect.isclass(item):
            assert inspect.getdoc(item), f"{name} has no docstring"


def test_errors_share_one_base_class():
    for error in (jlnlearn.DataValidationError, jlnlearn.UnknownCountryError,
                  jlnlearn.UnknownTableError):
        assert issubclass(error, jlnlearn.JlnlearnError)
