#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Flathub's rules for a manifest's sources, which flatpak-builder does not
check: every downloaded source is pinned (an archive or file by its sha256,
a git checkout by its commit) and carries x-checker-data so that
flatpak-external-data-checker proposes updates; only the app itself comes
from the local checkout, besides patch files kept with the manifest (which
must exist). With a second argument, flathub.json (read by
Flathub beside the manifest) holds only keys Flathub knows. TAP output."""

import json
import os
import re
import sys

MANIFEST_DIR = "."

# The checkers flatpak-external-data-checker knows (its README).
CHECKERS = {"anitya", "gnome", "json", "html", "git", "debian-repo", "jetbrains",
            "rotating-url", "pypi", "chromium", "electron-updater", "snapcraft"}


def sources(modules, path=""):
    for module in modules:
        if isinstance(module, str):
            yield f"{path}{module}", {"type": "module-file", "path": module}
            continue
        name = path + module["name"]
        for i, source in enumerate(module.get("sources", [])):
            yield f"{name}[{i}]", source
        yield from sources(module.get("modules", []), name + "/")


def problems(name, source, app):
    kind = source.get("type")
    if kind in ("archive", "file"):
        if "url" not in source:
            return [] if kind == "file" and "path" in source else ["no url"]
        found = []
        if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
            found.append("no sha256")
        checker = source.get("x-checker-data", {})
        if checker.get("type") not in CHECKERS:
            found.append("no x-checker-data with a known type")
        elif checker["type"] == "json" and not ("version-query" in checker
                                                 and "url-query" in checker):
            found.append("a json checker needs version-query and url-query")
        elif checker["type"] == "gnome" and checker.get("name") not in source["url"]:
            found.append("the gnome checker's name is not in the url")
        if not source["url"].startswith("https://"):
            found.append("not an https url")
        return found
    if kind == "git":
        found = []
        if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
            found.append("no commit")
        if "x-checker-data" not in source:
            found.append("no x-checker-data")
        return found
    if kind == "patch":
        # A local patch file beside the manifest, applied by flatpak-builder
        # in order after the archive: nothing is downloaded, so nothing to pin.
        if "url" in source or "paths" in source:
            return ["a patch must be one local file (path)"]
        path = source.get("path", "")
        if not path or os.path.isabs(path):
            return ["a patch needs a path relative to the manifest"]
        if not os.path.isfile(os.path.join(MANIFEST_DIR, path)):
            return [f"patch file {path} not found"]
        return []
    if kind == "dir":
        return [] if name.startswith(app + "[") else ["a local dir outside the app module"]
    return [f"source type {kind} is not checked here"]


# The keys Flathub's build infrastructure reads from flathub.json.
FLATHUB_KEYS = {"only-arches", "skip-arches", "skip-icons-check", "skip-appstream-check",
                "end-of-life", "end-of-life-rebase", "disable-external-data-checker",
                "require-important-update", "automerge-flathubbot-prs", "publish-delay-hours"}


def flathub_problems(path):
    try:
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        return [str(e)]
    if not isinstance(config, dict):
        return ["not a JSON object"]
    return [f"unknown key {key}" for key in config if key not in FLATHUB_KEYS]


def main():
    args = sys.argv[1:]
    # --rejects: the manifest is a bad example; each downloaded source must
    # be refused for its missing sha256, while a local patch passes (the
    # check itself is under test).
    rejects = args[:1] == ["--rejects"]
    if rejects:
        args = args[1:]
    global MANIFEST_DIR
    MANIFEST_DIR = os.path.dirname(os.path.abspath(args[0]))
    with open(args[0], encoding="utf-8") as f:
        manifest = json.load(f)
    app = manifest["modules"][-1]["name"]
    results = [(name, problems(name, source, app))
               for name, source in sources(manifest["modules"])]
    if rejects:
        kinds = dict(sources(manifest["modules"]))
        downloaded = [(name, found) for name, found in results
                      if not name.startswith(app + "[") and kinds[name].get("type") != "patch"]
        patches = [(name, found) for name, found in results
                   if kinds[name].get("type") == "patch"]
        print(f"1..{len(downloaded) + len(patches)}")
        for n, (name, found) in enumerate(downloaded, 1):
            print(("ok" if "no sha256" in found else "not ok") + f" {n} {name} refused: "
                  + ("; ".join(found) or "nothing found"))
        for n, (name, found) in enumerate(patches, len(downloaded) + 1):
            print(("ok" if not found else "not ok") + f" {n} {name} (local patch) accepted"
                  + (": " + "; ".join(found) if found else ""))
        return 0 if downloaded and all("no sha256" in f for _, f in downloaded) \
            and not any(f for _, f in patches) else 1
    if len(args) > 1:
        results.append(("flathub.json", flathub_problems(args[1])))
    print(f"1..{len(results)}")
    for n, (name, found) in enumerate(results, 1):
        print(("ok" if not found else "not ok") + f" {n} {name}"
              + (": " + "; ".join(found) if found else ""))
    return 1 if any(found for _, found in results) else 0


if __name__ == "__main__":
    sys.exit(main())
