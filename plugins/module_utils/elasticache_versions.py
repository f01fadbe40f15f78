# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache engine versions and their cache parameter-group families: pure, and importing nothing of the AWS SDK,
because the filter dito.chat.cache_parameter_group_family loads it in every forked Ansible worker that templates a
filter of this collection (Ansible loads all of a collection's filter files to find one filter)."""

import re

# The cache parameter-group family of each engine version (AWS: CacheParameterGroupFamily), first match wins.
# The one source of the family: modules, the filter dito.chat.cache_parameter_group_family (roles) and the
# emulator all read it here.
FAMILIES = (
    ("redis", re.compile(r"^7(\.\d+){0,2}$"), "redis7"),
    ("redis", re.compile(r"^6\.(\d+|x)(\.\d+)?$"), "redis6.x"),
    ("redis", re.compile(r"^5\.0(\.\d+)?$"), "redis5.0"),
    ("redis", re.compile(r"^4\.0(\.\d+)?$"), "redis4.0"),
    # Valkey on ElastiCache starts at 7.2 (no 7.0 or 7.1).
    ("valkey", re.compile(r"^7\.2(\.\d+)?$"), "valkey7"),
    ("valkey", re.compile(r"^8(\.\d+){0,2}$"), "valkey8"),
)


def parameter_group_family(engine, version):
    """The cache parameter-group family of an engine and version, or None when there is none.

    redis 7, 7.N, 7.N.N -> redis7; 6.x, 6.N, 6.N.N -> redis6.x; 5.0, 5.0.N -> redis5.0; 4.0, 4.0.N -> redis4.0;
    valkey 7.2, 7.2.N -> valkey7; valkey 8, 8.N, 8.N.N -> valkey8. A version given as a number (7.1) is
    read as its text.
    """
    text = "" if version is None else str(version)
    return next((family for name, pattern, family in FAMILIES if name == engine and pattern.match(text)), None)
