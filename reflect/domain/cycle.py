"""The encounter cycle as data: steps, guiding questions and every choice list.

Everything here comes from ../shared/domain.md; supervisors and peers know these
names, so they are used exactly as published.
"""

from __future__ import annotations

from typing import NamedTuple

# --- the four steps -------------------------------------------------------


# A NamedTuple, not a frozen dataclass: as immutable and compared by value, without
# the six methods a frozen dataclass compiles at import (about 1 ms each class, every start).
class Step(NamedTuple):
    key: str
    title: str
    summary: str
    prompts: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "listen",
        "Listen",
        "Active listening to the person's story. In peer support the person sets the agenda.",
        (
            "What happened, in their words?",
            "What matters to them?",
            "What do they want from this conversation?",
        ),
    ),
    Step(
        "reflect",
        "Reflect",
        "Inward reflection on your own relevant experience. Outside (learned) and inside (lived) knowledge both count.",
        (
            "What in your own experience relates?",
            "What did it stir; how do you feel?",
            "Did it touch your own recovery?",
        ),
    ),
    Step(
        "select",
        "Select",
        "A deliberate choice of which part of your story could help, and why, or a decision to hold back.",
        (
            "Which part of your story could help, and for what purpose?",
            "Or is holding back right this time? Keeping some things private is also self-care.",
        ),
    ),
    Step(
        "share",
        "Share",
        "Share that part in a way tailored to the moment, then return the focus to the person.",
        (
            "How did you share it (ask, share, ask)?",
            "How did it land?",
            "What are the person's own next steps?",
            "What would you do differently?",
        ),
    ),
)
STEP_KEYS: tuple[str, ...] = tuple(s.key for s in STEPS)

# --- choice lists fixed by the entry contract -------------------------------

SETTINGS: tuple[str, ...] = (
    "one-to-one",
    "group",
    "phone",
    "text-or-chat",
    "outreach",
    "hospital",
    "other",
)
DECISIONS: tuple[str, ...] = ("share", "hold", "undecided")
DECISION_LABELS: dict[str, str] = {
    "share": "Share a part of my story",
    "hold": "Hold back",
    "undecided": "Undecided",
}
RESPONSES: tuple[str, ...] = ("engaged", "neutral", "withdrew", "redirected", "unknown")
VISIBILITY: tuple[str, ...] = ("shared", "private")
class Flag(NamedTuple):
    """A flag an entry can carry, declared once: its key (the entry contract's), the
    mark that lists show for it, and its label. Everything else derives from these."""

    key: str
    mark: str
    label: str


FLAG_DECLS: tuple[Flag, ...] = (
    Flag("crisis", "!", "Crisis"),
    Flag("boundary", "B", "Boundary or role"),
    Flag("discuss", "?", "Discuss in supervision"),
    Flag("self_care", "S", "Self-care"),
    Flag("celebrate", "★", "Celebrate"),
)
FLAGS: tuple[str, ...] = tuple(f.key for f in FLAG_DECLS)
FLAG_LABELS: dict[str, str] = {f.key: f.label for f in FLAG_DECLS}
FLAG_BY_KEY: dict[str, Flag] = {f.key: f for f in FLAG_DECLS}
# The private entry's mark: not a flag (it is the visibility) but listed with them.
PRIVATE_MARK: tuple[str, str, str] = ("private", "P", "private (not in shared exports)")
# One mark per flag, and P for a private entry, in this order, wherever entries are
# listed (`reflect list`, the home screen): letters and symbols read without colour.
MARKS: tuple[tuple[str, str, str], ...] = (
    *((f.key, f.mark, f.label.lower()) for f in FLAG_DECLS),
    PRIVATE_MARK,
)

# --- purposeful self-disclosure -----------------------------------------------

PURPOSES: tuple[str, ...] = (
    "instill hope",
    "normalize the experience",
    "model a coping strategy",
    "build trust and rapport",
    "dispel stigma",
    "frame an open question",
    "illustrate weighing pros and cons of a change",
    "connect to a resource or community",
)

# The six-question check before sharing, keyed as in the entry contract.
CHECKS: tuple[tuple[str, str], ...] = (
    ("their_need", "Does this meet the person's need (as they see it), not mine?"),
    ("asked_permission", "Did I ask permission (ask what they want to know)?"),
    ("brief", "Is it brief and focused on hope and what helped?"),
    ("returned_focus", "Will I return the focus to them afterwards (ask again)?"),
    ("within_role", "Is it within my role?"),
    ("settled", "Am I settled enough with this part of my story to share it safely?"),
)
CHECK_KEYS: tuple[str, ...] = tuple(k for k, _ in CHECKS)
# How a "no" to each check reads on a supervision agenda.
CHECK_CONCERNS: dict[str, str] = {
    "their_need": "not clearly the person's need",
    "asked_permission": "no permission asked",
    "brief": "not brief",
    "returned_focus": "focus not returned",
    "within_role": "outside the role",
    "settled": "not settled with this part of the story",
}

# --- SAMHSA Core Competencies for Peer Workers ---------------------------------

COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("I", "Engages peers in collaborative and caring relationships"),
    ("II", "Provides support"),
    ("III", "Shares lived experiences of recovery"),
    ("IV", "Personalizes peer support"),
    ("V", "Supports recovery planning"),
    ("VI", "Links to resources, services, and supports"),
    ("VII", "Provides information about skills related to health, wellness, and recovery"),
    ("VIII", "Helps peers to manage crises"),
    ("IX", "Values communication"),
    ("X", "Supports collaboration and teamwork"),
    ("XI", "Promotes leadership and advocacy"),
    ("XII", "Promotes growth and development"),
)
COMPETENCY_KEYS: tuple[str, ...] = tuple(k for k, _ in COMPETENCIES)
COMPETENCY_TITLES: dict[str, str] = dict(COMPETENCIES)

# --- National Practice Guidelines for Peer Supporters ---------------------------

VALUES: tuple[str, ...] = (
    "voluntary",
    "hopeful",
    "open minded",
    "empathetic",
    "respectful",
    "facilitate change",
    "honest and direct",
    "mutual and reciprocal",
    "equally shared power",
    "strengths-focused",
    "transparent",
    "person-driven",
)

# --- Motivational Interviewing (optional, prompts for supervision, not scores) ----

OARS: tuple[tuple[str, str], ...] = (
    ("open_questions", "Open questions"),
    ("affirmations", "Affirmations"),
    ("reflections", "Reflections"),
    ("summaries", "Summaries"),
)
CHANGE_TALK: tuple[tuple[str, str], ...] = (
    ("desire", "Desire"),
    ("ability", "Ability"),
    ("reasons", "Reasons"),
    ("need", "Need"),
    ("commitment", "Commitment"),
    ("activation", "Activation"),
    ("taking-steps", "Taking steps"),
)
CHANGE_TALK_KEYS: tuple[str, ...] = tuple(k for k, _ in CHANGE_TALK)
CHANGE_TALK_LABELS: dict[str, str] = dict(CHANGE_TALK)

# --- crisis and safety ------------------------------------------------------------

CRISIS_ACTIONS: tuple[tuple[str, str], ...] = (
    ("emergency-services", "Emergency services called"),
    ("crisis-line", "Crisis line contacted with the person"),
    ("warm-handoff", "Warm handoff made"),
    ("supervisor-notified", "Supervisor notified"),
    ("safety-plan-exists", "The person has a safety plan"),
)
CRISIS_ACTION_KEYS: tuple[str, ...] = tuple(k for k, _ in CRISIS_ACTIONS)
CRISIS_ACTION_LABELS: dict[str, str] = dict(CRISIS_ACTIONS)

DEFAULT_CRISIS_LINES: tuple[tuple[str, str], ...] = (
    ("988 Suicide & Crisis Lifeline", "call or text 988 (press 1 for the Veterans Crisis Line)"),
    ("Emergency services", "911 for immediate danger"),
    ("Crisis Text Line", "text HOME to 741741"),
)

CRISIS_GUIDANCE = (
    "Safety comes first; reflection can wait. Stay present, connect the person to help "
    "(a warm handoff), and tell your supervisor. Record what was done."
)
