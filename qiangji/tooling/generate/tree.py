"""The organisation tree as plain Python objects, with treebeard materialised paths computed here.

Calling `add_child` 150,000 times would cost one UPDATE of the parent per call; instead the loader
computes `path`, `depth` and `numchild` the way `treebeard.mp_tree.MP_Node` does (steplen 4,
alphabet 0-9A-Z, first child "0001") and writes every row in bulk.
"""

from dataclasses import dataclass, field

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def encode_step(number: int) -> str:
    """1 → '0001', 36 → '0010': the same key treebeard's NumConv gives, zero-padded to steplen."""
    if number < 1 or number >= len(ALPHABET) ** STEPLEN:
        raise ValueError(f"step {number} does not fit in {STEPLEN} characters")
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


@dataclass(eq=False)
class OrgSpec:
    """One organisation to be written; `tag` says what it is for member posts and sizes."""

    name: str
    kind: str
    category: str
    tag: str
    parent: "OrgSpec | None" = None
    short_name: str = ""
    division_code: str = ""
    region_code: str = ""
    unit_name: str = ""
    unit_nature: str = ""
    unit_relation: str = "same_as_parent"
    credit_code: str = ""
    address: str = ""
    locality: str = ""  # township and village, for members' home addresses
    path: str = ""
    depth: int = 0
    numchild: int = 0
    id: int = 0
    children: list["OrgSpec"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children


class Tree:
    """Organisations in pre-order (a parent always before its children), ids and paths assigned."""

    def __init__(self, *, first_root_step: int = 1, first_id: int = 1, limit: int | None = None):
        self.nodes: list[OrgSpec] = []
        self._next_root = first_root_step
        self._next_id = first_id
        self.limit = limit
        self.added = 0

    @property
    def full(self) -> bool:
        return self.limit is not None and self.added >= self.limit

    def add_root(self, **fields) -> OrgSpec:
        spec = OrgSpec(**fields)
        spec.path, spec.depth = encode_step(self._next_root), 1
        self._next_root += 1
        return self._register(spec)

    def add(self, parent: OrgSpec | None, **fields) -> OrgSpec | None:
        """Append a child; None once the `--orgs` limit is reached or the parent was skipped."""
        if parent is None or self.full:
            return None
        spec = OrgSpec(parent=parent, **fields)
        parent.children.append(spec)
        parent.numchild = len(parent.children)
        spec.path, spec.depth = parent.path + encode_step(parent.numchild), parent.depth + 1
        return self._register(spec)

    def _register(self, spec: OrgSpec) -> OrgSpec:
        spec.id = self._next_id
        self._next_id += 1
        self.added += 1
        self.nodes.append(spec)
        return spec

    def leaves(self) -> list[OrgSpec]:
        return [node for node in self.nodes if node.is_leaf]

    def take(self) -> list[OrgSpec]:
        """Hand over the nodes written so far (province scale writes county by county)."""
        nodes, self.nodes = self.nodes, []
        return nodes

    @property
    def next_id(self) -> int:
        return self._next_id
