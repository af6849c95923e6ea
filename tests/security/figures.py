"""The figures QUALITY.md asks the security run to print, collected while the tests run."""

FIGURES: list[str] = []


def report(line: str) -> None:
    FIGURES.append(line)
    print(line)
