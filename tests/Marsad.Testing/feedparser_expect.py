"""Evaluates feedparser's `Expect:` expressions against what Marsad's feed parser made of each test file.

Reads JSON lines {"id", "expect", "result"} on standard input and writes JSON lines {"id", "outcome", "detail"}:
outcome "pass" or "fail", or "n/a" when the expression asks for something Marsad's parser does not produce
(feedparser's result dict is far richer: *_detail, namespaces, HTTP status...). The expressions come from
feedparser's own test files (kurtmckee/feedparser, BSD-2-Clause) and are evaluated as feedparser's harness does.
"""
import json
import sys


class NotApplicable(Exception):
    pass


class Result(dict):
    """feedparser's FeedParserDict: keys and attributes alike; a key Marsad does not produce is not applicable."""

    def __getitem__(self, key):
        if key not in self:
            raise NotApplicable(key)
        return dict.__getitem__(self, key)

    def __getattr__(self, key):
        return self[key]

    def get(self, key, default=None):
        if key not in self:
            raise NotApplicable(key)
        return dict.__getitem__(self, key)


def wrap(value):
    if isinstance(value, dict):
        return Result({key: wrap(item) for key, item in value.items()})
    if isinstance(value, list):
        return [wrap(item) for item in value]
    return value


for line in sys.stdin:
    case = json.loads(line)
    names = {key: wrap(value) for key, value in case["result"].items()}
    try:
        outcome = "pass" if eval(case["expect"], {"__builtins__": {"len": len, "u": str, "str": str, "int": int}}, names) else "fail"
        detail = ""
    except NotApplicable as missing:
        outcome, detail = "n/a", f"asks for {missing.args[0]}"
    except NameError as missing:
        outcome, detail = "n/a", f"asks for {missing.name}"
    except (IndexError, KeyError, TypeError, AttributeError) as error:
        outcome, detail = "fail", f"{type(error).__name__}: {error}"
    except Exception as error:  # an expression this harness cannot run
        outcome, detail = "n/a", f"{type(error).__name__}: {error}"
    print(json.dumps({"id": case["id"], "outcome": outcome, "detail": detail}), flush=True)
