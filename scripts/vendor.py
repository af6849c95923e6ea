"""Fetch the front-end libraries from the npm registry at pinned versions.

Run by a developer when a version changes (`python scripts/vendor.py`); the files are
committed unchanged under heyi/web/static/vendor/ with their licences and VENDORED.md, so
running the app never needs Node.
"""

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "heyi" / "web" / "static" / "vendor"

PACKAGES = {
    # npm package, version: files to keep (paths inside the package)
    ("bulma", "1.0.4"): ["css/bulma.min.css", "LICENSE"],
    ("htmx.org", "2.0.11"): ["dist/htmx.min.js", "LICENSE"],
    ("echarts", "6.1.0"): ["dist/echarts.min.js", "LICENSE"],
}


def main() -> None:
    lines = [
        "# Vendored front-end libraries",
        "",
        "Fetched by `scripts/vendor.py` from the npm registry; unchanged.",
        "",
        "| package | version | licence | files |",
        "| --- | --- | --- | --- |",
    ]
    for (name, version), files in PACKAGES.items():
        target = VENDOR / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", tmp],
                check=True,
                capture_output=True,
                text=True,
            )
            tarball = Path(tmp) / json.loads(out.stdout)[0]["filename"]
            with tarfile.open(tarball) as tar:
                meta = json.load(tar.extractfile("package/package.json"))  # type: ignore[arg-type]
                for rel in files:
                    member = tar.getmember(f"package/{rel}")
                    data = tar.extractfile(member).read()  # type: ignore[union-attr]
                    (target / Path(rel).name).write_bytes(data)
        lines.append(
            f"| {name} | {version} | {meta.get('license', '?')} | {', '.join(Path(f).name for f in files)} |"
        )
    (VENDOR / "VENDORED.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
