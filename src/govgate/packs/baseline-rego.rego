# The baseline governance pack written in Rego (loaded as builtin:baseline-rego): rule for rule
# the same as baseline.yaml, with the same ids, metadata and statuses.
# tests/unit/rules/test_rego_parity.py runs every case of rules/tests/baseline.tests.yaml on both
# and compares every finding.
#
# Each rule does what the native check of the same kind does (src/govgate/rules/checks/):
# - artifact: the file is declared, readable and present; `must_reference: [name]` searches section
#   titles, text and front matter for the model name; `max_age_days` dates it by its last commit.
# - topics: each required topic found (the reader fills `artifacts.<name>.topics` for Markdown
#   and JSON model cards alike), with at least min_words content words and min_metrics stated
#   values, and no template placeholders inside those topics.
# - document: field predicates (exists, matches, in, after now-Nd, min_items); null counts as
#   missing.
# - monitoring: incident contact, required monitor types, complete monitors, threshold bounds.
# - approvals: per role of the tier, distinct roster members whose approval is not void.
# A native check whose artifact cannot be read reports `error`; a Rego message can only fail the
# rule, so here an unreadable artifact fails it.
#
# What regopy (rego-cpp 1.5.2) asks of the code:
# - Strings keep their JSON escapes: a newline in section text is the two characters `\n`, so
#   the name pattern treats it as a separator (govgate sends non-ASCII text unescaped).
# - Regular expressions have no (?i), no look-behind, no \p{..} and no \Q..\E: text and name
#   are lower-cased (ASCII only) and word boundaries are spelled out.
# - A backslash-u in any string literal, raw ones too, is read as a Unicode escape: `\\[u]`.
# - sprintf("... %s ...") quotes a string held in a variable, and the package output is then
#   not JSON: messages are built with concat.
# - Inside a comprehension, a function argument used as a key (`input.artifacts[name]`) acts as
#   a new variable, `some i; xs[i].key in keys` is never true, and `some i, x in xs` does not
#   parse: look values up outside, bind them before `in`, write `some i; x := xs[i]`.
# - to_number("09") keeps its zero and then compares wrongly (09 < 3 is false): see _int.
# - A failing built-in fails the whole package (strict built-in errors): values are type-checked
#   and dates validated before any built-in that could reject them.
# The evaluation time is input.at_ns (--at); nothing reads the clock.

# METADATA
# description: >-
#   Model card, risk assessment, datasheet, evaluation report and monitoring readiness: the
#   baseline pack in Rego.
# custom:
#   version: 2.0.0
package govgate.baseline

# METADATA
# title: Model card exists and names the model
# description: >-
#   Reviewers, users and auditors learn what a model is for from its card. A card that does not
#   name the model may belong to another release.
# custom:
#   id: CARD-001
#   severity: blocking
#   controls: ["NIST AI RMF MAP 1.1", "ISO/IEC 42001 A.6.2.7", "ISO/IEC 42001 A.8.2"]
#   remediation: >-
#     Add a model card (run `govgate init` for a template) at the path configured as
#     `artifacts.model_card` and mention the registered model name in it.
deny contains _tag("CARD-001", problem) if {
	some problem in _name_problems("model_card")
}

# METADATA
# title: Model card states intended use and limitations
# description: Even a low-risk model needs its intended use and known limits written down.
# custom:
#   id: CARD-002
#   severity: blocking
#   tiers: [low]
#   controls: ["NIST AI RMF MAP 1.1", "NIST AI RMF MAP 2.2", "ISO/IEC 42001 A.6.2.7"]
#   remediation: >-
#     Write what the model is for and where it fails, under headings that say so (e.g.
#     "Intended uses & limitations"), at least 10 words each, and replace every template
#     placeholder and instruction with real content.
deny contains _tag("CARD-002", problem) if {
	required := [_topic("intended_use", 10, 0), _topic("limitations", 10, 0)]
	some problem in _topic_problems("model_card", required)
}

# METADATA
# title: Model card covers use, limits, training data, evaluation and ethics
# description: >-
#   The five topics every model card framework asks for (Mitchell et al. 2019; the Hugging Face
#   card template): what the model is for, where it fails, what it learned from, how it was
#   evaluated, and its ethical implications. Each must be filled in, not left as template.
# custom:
#   id: CARD-003
#   severity: blocking
#   tiers: [medium, high]
#   controls:
#     - "NIST AI RMF MAP 1.1"
#     - "NIST AI RMF MAP 2.2"
#     - "NIST AI RMF MEASURE 2.11"
#     - "ISO/IEC 42001 A.6.2.7"
#     - "ISO/IEC 42001 A.8.2"
#   remediation: >-
#     Write each missing topic under a heading that names it (e.g. "Uses", "Bias, Risks, and
#     Limitations", "Training Data", "Evaluation"), at least 20 words each; state at least one
#     evaluation result as a number (prose, a table or model-index), not a link to a paper;
#     and replace every placeholder such as [More Information Needed].
deny contains _tag("CARD-003", problem) if {
	required := [
		_topic("intended_use", 20, 0),
		_topic("limitations", 20, 0),
		_topic("training_data", 20, 0),
		_topic("evaluation", 20, 1),
		_topic("ethical_considerations", 20, 0),
	]
	some problem in _topic_problems("model_card", required)
}

# METADATA
# title: Model card reviewed within the last year
# description: A card untouched for a year rarely describes the model being released today.
# custom:
#   id: CARD-004
#   severity: warning
#   tiers: [high]
#   controls: ["NIST AI RMF GOVERN 1.5", "ISO/IEC 42001 A.6.2.7"]
#   remediation: Review the model card and commit the update (a git commit dates the review).
warn contains _tag("CARD-004", problem) if {
	some problem in _age_problems("model_card", 365)
}

# METADATA
# title: Risk assessment is recorded with owner, hazards and mitigations
# description: >-
#   The risk assessment names who owns the risk, which harms were considered, how each is
#   mitigated, and the residual risk that was accepted.
# custom:
#   id: RISK-001
#   severity: blocking
#   tiers: [medium, high]
#   controls:
#     - "NIST AI RMF MAP 5.1"
#     - "NIST AI RMF MANAGE 1.3"
#     - "ISO/IEC 42001 A.5.2"
#     - "ISO/IEC 42001 A.5.4"
#   remediation: >-
#     Fill in the risk assessment (`artifacts.risk_assessment`, YAML) with owner, hazards,
#     mitigations, residual_risk (low|medium|high) and reviewed_on (a date within the last
#     year).
deny contains _tag("RISK-001", problem) if {
	fields := [
		{"path": "owner", "at": ["owner"], "matches": `^[^@\s]+@[^@\s]+$`},
		{"path": "hazards", "at": ["hazards"], "min_items": 1},
		{"path": "mitigations", "at": ["mitigations"], "min_items": 1},
		{"path": "residual_risk", "at": ["residual_risk"], "one_of": ["low", "medium", "high"]},
		{"path": "reviewed_on", "at": ["reviewed_on"], "after_days_ago": 365},
	]
	some problem in _document_problems("risk_assessment", fields)
}

# METADATA
# title: Datasheet documents the training data
# description: >-
#   Datasheets for Datasets (Gebru et al.): why the data exists, what it contains, how it was
#   collected and prepared, and what it may be used for.
# custom:
#   id: DATA-001
#   severity: blocking
#   tiers: [high]
#   controls: ["NIST AI RMF MAP 2.3", "ISO/IEC 42001 A.7.2", "ISO/IEC 42001 A.7.5"]
#   remediation: >-
#     Write the datasheet (`artifacts.datasheet`) with Motivation, Composition, Collection
#     Process, Preprocessing and Uses sections, answering the questions (at least 10 words
#     each; the template's questions and instructions do not count), and no placeholders.
deny contains _tag("DATA-001", problem) if {
	required := [_topic(topic, 10, 0) |
		some topic in ["motivation", "composition", "collection_process", "preprocessing", "intended_use"]
	]
	some problem in _topic_problems("datasheet", required)
}

# METADATA
# title: Datasheet exists
# custom:
#   id: DATA-002
#   severity: warning
#   tiers: [medium]
#   controls: ["NIST AI RMF MAP 2.3", "ISO/IEC 42001 A.7.2"]
#   remediation: Add a datasheet for the training data at `artifacts.datasheet`.
warn contains _tag("DATA-002", problem) if {
	problem := _unusable("datasheet", [])
}

# METADATA
# title: Evaluation report states metrics, data and results
# custom:
#   id: EVAL-001
#   severity: blocking
#   tiers: [medium, high]
#   controls: ["NIST AI RMF MEASURE 2.3", "ISO/IEC 42001 A.6.2.4"]
#   remediation: >-
#     Write the evaluation report (`artifacts.evaluation_report`) with Metrics, Evaluation Data
#     and Results sections (at least 10 words each), state the results as numbers, and leave no
#     placeholders.
deny contains _tag("EVAL-001", problem) if {
	required := [_topic("metrics", 10, 0), _topic("evaluation_data", 10, 0), _topic("results", 10, 1)]
	some problem in _topic_problems("evaluation_report", required)
}

# METADATA
# title: Evaluation report includes a fairness or subgroup analysis
# custom:
#   id: EVAL-002
#   severity: blocking
#   tiers: [high]
#   controls: ["NIST AI RMF MEASURE 2.11", "ISO/IEC 42001 A.5.4"]
#   remediation: >-
#     Add a section on performance across subgroups (e.g. "Fairness" or "Subgroup Analysis") to
#     the evaluation report.
deny contains _tag("EVAL-002", problem) if {
	some problem in _topic_problems("evaluation_report", [_topic("fairness", 20, 0)])
}

# METADATA
# title: Drift, performance and data-quality monitors are ready, with strict enough thresholds
# description: >-
#   A high-risk model ships with every kind of monitor, each with a metric, a threshold, a
#   window, an alert route and a runbook, and drift alerts no looser than PSI 0.2.
# custom:
#   id: MON-002
#   severity: blocking
#   tiers: [high]
#   controls: ["NIST AI RMF MANAGE 4.1", "NIST AI RMF MEASURE 2.4", "ISO/IEC 42001 A.6.2.6"]
#   remediation: >-
#     Add the missing monitors to the monitoring config, fill in metric, threshold, window,
#     alert_route and runbook (a link) for each, and tighten thresholds to the policy bound.
deny contains _tag("MON-002", problem) if {
	required := ["data_drift", "prediction_drift", "performance", "data_quality"]
	some problem in _monitoring_problems(required, {"psi": {"max": 0.2}})
}

# METADATA
# title: Drift and performance monitors are ready
# custom:
#   id: MON-003
#   severity: blocking
#   tiers: [medium]
#   controls: ["NIST AI RMF MANAGE 4.1", "ISO/IEC 42001 A.6.2.6"]
#   remediation: >-
#     Add a data_drift and a performance monitor, each with metric, threshold, window,
#     alert_route and runbook.
deny contains _tag("MON-003", problem) if {
	some problem in _monitoring_problems(["data_drift", "performance"], {"psi": {"max": 0.25}})
}

# METADATA
# title: Release approved by the roles its risk tier requires
# description: >-
#   High-risk releases need model risk, privacy and security sign-off; medium-risk ones model
#   risk. An approval counts only from someone in the role's roster (govgate.yaml `roles:`), for
#   this model and version, within 180 days, not by the change's author, the version's creator
#   or an exception's requester, and only while the evidence it was bound to is unchanged. At
#   the high tier a recorded approval must be bound to the evidence it approved (its digests),
#   so that swapping a document after sign-off voids it.
# custom:
#   id: APPR-001
#   severity: blocking
#   tiers: [medium, high]
#   controls: ["NIST AI RMF GOVERN 2.1", "NIST AI RMF GOVERN 1.3", "ISO/IEC 42001 A.3.2"]
#   remediation: >-
#     Ask the missing role holders to approve: `govgate approve --role ROLE` records an approval
#     in governance/approvals.yaml bound to the current evidence digests; a review of the
#     pull/merge request also counts, and below the high tier an `approval.<role>` tag on the
#     model version. Check that they are listed under `roles:` in govgate.yaml. An approval
#     whose evidence changed since must be given again.
deny contains {"id": "APPR-001", "msg": shortfall} if {
	some shortfall in _approval_shortfalls
}

# Why approvals did not count, alongside the shortfall they explain (never on their own).
deny contains _tag("APPR-001", note) if {
	count(_approval_shortfalls) > 0
	some note in _approval_notes
}

# METADATA
# title: Monitoring plan names an owner, an incident contact and its monitors
# description: >-
#   A model nobody watches after release is not ready for release: drift and performance
#   monitors must exist, and someone must be paged when they fire.
# custom:
#   id: MON-001
#   severity: blocking
#   tiers: [medium, high]
#   controls: ["NIST AI RMF MANAGE 4.1", "NIST AI RMF MEASURE 3.1", "ISO/IEC 42001 A.6.2.6"]
#   remediation: >-
#     Fill in the monitoring config (`artifacts.monitoring`, YAML) with owner, incident_contact
#     and at least one entry under monitors.
deny contains _tag("MON-001", problem) if {
	fields := [
		{"path": "owner", "at": ["owner"], "exists": true},
		{"path": "incident_contact", "at": ["incident_contact"], "exists": true},
		{"path": "monitors[0]", "at": ["monitors", 0], "exists": true},
	]
	some problem in _document_problems("monitoring", fields)
}

# --- shared by several rules ---------------------------------------------------------------

_day_ns := ((24 * 60) * 60) * 1000000000

# A problem (msg, and path/line when there is a file to open) as a message of one rule.
_tag(rule_id, problem) := object.union(problem, {"id": rule_id})

# --- artifacts: declared, readable, present, of the format the check reads -----------------

# Why the artifact cannot be checked; undefined when it can.
_unusable(name, formats) := {"msg": msg} if {
	not input.artifacts[name]
	msg := concat("", [
		"artifact ", _q(name), " is not declared in govgate.yaml: add `", name,
		": <path>` under `artifacts:`",
	])
} else := {"msg": msg, "path": artifact.path} if {
	artifact := input.artifacts[name]
	not _falsy(object.get(artifact, "error", null))
	msg := concat("", ["artifact ", _q(name), " could not be read: ", _text(artifact.error)])
} else := {"msg": msg, "path": artifact.path} if {
	artifact := input.artifacts[name]
	artifact.exists != true
	msg := concat("", ["artifact ", _q(name), " does not exist"])
} else := {"msg": msg, "path": artifact.path} if {
	artifact := input.artifacts[name]
	count(formats) > 0
	not artifact.format in formats
	msg := concat("", [
		"artifact ", _q(name), " is ", _text(artifact.format), "; this check needs ",
		concat(" or ", formats),
	])
}

# --- artifact: names the model, recently committed -----------------------------------------

_name_problems(name) := {problem} if {
	problem := _unusable(name, [])
} else := set() if {
	_mentions_name(input.artifacts[name])
} else := {{
	"msg": concat("", ["does not mention the model name ", _q(input.subject.name)]),
	"path": input.artifacts[name].path,
	"line": 1,
}}

# The name's words in order, joined by at most one separator, not inside a longer word.
_mentions_name(artifact) if {
	regex.match(_name_pattern(input.subject.name), lower(_searchable_text(artifact)))
}

_regex_escapes := {
	".": `\.`, "+": `\+`, "*": `\*`, "?": `\?`, "(": `\(`, ")": `\)`, "[": `\[`, "]": `\]`,
	"{": `\{`, "}": `\}`, "|": `\|`, "^": `\^`, "$": `\$`,
}

_name_pattern(name) := concat("", [
	`(?:^|[^\w]|\\[nrt]|\\[u][0-9a-f]{4})`,
	concat(`(?:[-_\s]|\\[nrt])?`, [strings.replace_n(_regex_escapes, word) |
		some word in regex.split(`[-_\s]+`, lower(name))
		word != ""
	]),
	`(?:[^\w]|$)`,
])

# The prose of an artifact as one string: section titles and text, then the front matter.
_searchable_text(artifact) := concat("\n", array.concat(
	[concat("\n", [section.title, section.text]) | some section in artifact.markdown.sections],
	[json.marshal(front_matter) |
		front_matter := artifact.markdown.front_matter
		is_object(front_matter)
		count(front_matter) > 0
	],
)) if {
	is_object(artifact.markdown)
} else := artifact.text if {
	is_string(artifact.text)
} else := json.marshal(artifact.data)

_age_problems(name, max_days) := {problem} if {
	problem := _unusable(name, [])
} else := {problem} if {
	artifact := input.artifacts[name]
	unknown := object.get(artifact, "last_commit_unknown", null)
	is_string(unknown)
	problem := {"msg": unknown, "path": artifact.path}
} else := {problem} if {
	artifact := input.artifacts[name]
	object.get(artifact, "last_commit", null) == null
	problem := {
		"msg": "has no git commit, so its age cannot be established: commit it",
		"path": artifact.path,
	}
} else := {problem} if {
	artifact := input.artifacts[name]
	age := input.at_ns - _ns(artifact.last_commit)
	age > max_days * _day_ns
	msg := concat("", [
		"last changed ", substring(artifact.last_commit, 0, 10), ", ",
		_text(floor(age / _day_ns)), " days ago (limit ", _text(max_days), ")",
	])
	problem := {"msg": msg, "path": artifact.path}
} else := set()

# --- topics: required topics covered, filled in, with stated values; no placeholders ---------

_topic(id, min_words, min_metrics) := {"id": id, "min_words": min_words, "min_metrics": min_metrics}

_topic_problems(name, required) := {problem} if {
	problem := _unusable(name, ["markdown", "json"])
} else := {problem} if {
	artifact := input.artifacts[name]
	count(object.get(artifact, "topics", {})) == 0
	problem := {"msg": concat("", [
		artifact.path, " is not a model card govgate can read: a JSON card needs the Model ",
		"Card Toolkit fields (model_details, considerations, quantitative_analysis)",
	]), "path": artifact.path}
} else := ((missing | thin) | unmeasured) | placeholders if {
	artifact := input.artifacts[name]
	missing := {problem |
		some want in required
		topic := artifact.topics[want.id]
		topic.found != true
		msg := concat("", ["missing topic ", _q(lower(topic.title)), ": no heading or field names it"])
		problem := {"msg": msg, "path": artifact.path}
	}
	thin := {problem |
		some want in required
		topic := artifact.topics[want.id]
		topic.found == true
		topic.words < want.min_words
		not _measured_instead(topic, want)
		msg := concat("", [
			"topic ", _q(lower(topic.title)), " has ", _text(topic.words),
			" words of content, needs at least ", _text(want.min_words),
		])
		problem := {"msg": msg, "path": artifact.path}
	}
	unmeasured := {problem |
		some want in required
		topic := artifact.topics[want.id]
		topic.found == true
		not topic.words < want.min_words
		count(topic.metrics) < want.min_metrics
		msg := concat("", [
			"topic ", _q(lower(topic.title)), " states ", _text(count(topic.metrics)),
			" metric value(s), needs at least ", _text(want.min_metrics),
		])
		problem := {"msg": msg, "path": artifact.path}
	}
	placeholders := {problem |
		some want in required
		some placeholder in artifact.topics[want.id].placeholders
		problem := _placeholder_problem(artifact, placeholder)
	}
}

# A topic short on words but carrying the values it must state (a structured card's metrics).
_measured_instead(topic, want) if {
	want.min_metrics > 0
	count(topic.metrics) > 0
}

# A placeholder at its line, or (a structured card's) at the field it names.
_placeholder_problem(artifact, placeholder) := problem if {
	placeholder.line > 0
	msg := concat("", ["placeholder ", _q(placeholder.text), " left in"])
	problem := {"msg": msg, "path": artifact.path, "line": placeholder.line}
} else := {"msg": concat("", ["placeholder left in at ", placeholder.text]), "path": artifact.path}

# --- document: field predicates ------------------------------------------------------------

_document_problems(name, fields) := {problem} if {
	problem := _unusable(name, ["yaml", "json"])
} else := problems if {
	artifact := input.artifacts[name]
	problems := {problem |
		some field in fields
		value := _value(artifact.data, field.at)
		some reason in _field_reasons(value, field)
		problem := {"msg": concat(" ", [field.path, reason]), "path": artifact.path}
	}
}

# A path of at most two steps (the pack needs no more); null when any step is missing.
_value(document, at) := _get(_get(document, at[0]), at[1]) if {
	count(at) == 2
} else := _get(document, at[0])

_get(node, key) := object.get(node, key, null) if {
	is_object(node)
	is_string(key)
} else := node[key] if {
	is_array(node)
	is_number(key)
	key >= 0
	key < count(node)
} else := null

# Every predicate of these fields needs a value, so a null or missing one is only "missing".
_field_reasons(value, field) := {"is missing"} if {
	value == null
} else := ((matches | one_of) | after) | items if {
	matches := {reason | reason := _matches_reason(value, field)}
	one_of := {reason | reason := _one_of_reason(value, field)}
	after := {reason | reason := _after_reason(value, field)}
	items := {reason | reason := _min_items_reason(value, field)}
}

_matches_reason(value, field) := concat("", ["is ", _show(value), ", expected text"]) if {
	field.matches
	not is_string(value)
	not is_number(value)
} else := reason if {
	pattern := field.matches
	not regex.match(pattern, _str(value))
	reason := concat("", ["is ", _show(value), ", which does not match /", pattern, "/"])
}

_one_of_reason(value, field) := reason if {
	choices := field.one_of
	not value in choices
	allowed := concat(", ", [_show(choice) | some choice in choices])
	reason := concat("", ["is ", _show(value), ", expected one of [", allowed, "]"])
}

_after_reason(value, field) := concat("", ["is ", _show(value), ", expected a date"]) if {
	field.after_days_ago
	not _ns(value)
} else := concat("", ["is ", _date(when), ", not after ", _date(limit)]) if {
	limit := input.at_ns - field.after_days_ago * _day_ns
	when := _ns(value)
	when <= limit
}

_min_items_reason(value, field) := concat("", ["is ", _show(value), ", expected a list"]) if {
	field.min_items
	not _collection(value)
} else := reason if {
	field.min_items
	count(value) < field.min_items
	reason := concat("", [
		"has ", format_int(count(value), 10), " item(s), expected at least ",
		format_int(field.min_items, 10),
	])
}

_collection(value) if is_array(value)

_collection(value) if is_object(value)

# --- monitoring: the plan's monitors would fire, and someone answers -----------------------

_monitor_fields := ["metric", "threshold", "window", "alert_route", "runbook"]

_monitoring_problems(required, bounds) := {problem} if {
	problem := _unusable("monitoring", ["yaml", "json"])
} else := problems if {
	artifact := input.artifacts.monitoring
	at := {"path": artifact.path}
	plan := _object_or_empty(artifact.data)
	problems := {object.union(at, {"msg": msg}) |
		some msg in _monitoring_messages(plan, required, bounds)
	}
}

# Monitors are matched by `type:`; one that says `kind:` instead is pointed out.
_kind_hint(monitors, kind) := " (monitors are matched by `type:`, and one says `kind:` instead)" if {
	some monitor in monitors
	is_object(monitor)
	object.get(monitor, "kind", null) == kind
	object.get(monitor, "type", null) == null
} else := ""

_monitoring_messages(plan, required, bounds) := messages if {
	monitors := _array_or_empty(object.get(plan, "monitors", null))
	contact := {"no incident_contact" | _blank(object.get(plan, "incident_contact", null))}
	listed := {"no list of monitors" | not is_array(object.get(plan, "monitors", null))}
	types := {kind |
		some monitor in monitors
		is_object(monitor)
		kind := object.get(monitor, "type", "")
	}
	absent := {concat("", ["no ", kind, " monitor", _kind_hint(monitors, kind)]) |
		some kind in required
		not kind in types
	}
	incomplete := {concat("", ["monitor ", _q(_monitor_name(monitor, i)), " has no ", key]) |
		some i
		monitor := monitors[i]
		is_object(monitor)
		some key in _monitor_fields
		object.get(monitor, key, null) in {null, "", [], {}}
	}
	not_linked := {concat("", ["monitor ", _q(_monitor_name(monitor, i)), " runbook is not a link"]) |
		some i
		monitor := monitors[i]
		is_object(monitor)
		runbook := object.get(monitor, "runbook", null)
		not _falsy(runbook)
		not _is_link(runbook)
	}
	loose := {concat("", ["monitor ", _q(_monitor_name(monitor, i)), " ", problem]) |
		some i
		monitor := monitors[i]
		is_object(monitor)
		metric := object.get(monitor, "metric", "")
		is_string(metric)
		bound := object.get(bounds, lower(trim_space(metric)), null) # `PSI` is bounded as `psi`
		bound != null
		threshold := object.get(monitor, "threshold", null)
		threshold != null
		problem := _bound_problem(metric, threshold, bound)
	}
	messages := ((((contact | listed) | absent) | incomplete) | not_linked) | loose
}

# name, else type, else its place in the list
_monitor_name(monitor, index) := _str(monitor.name) if {
	not _falsy(object.get(monitor, "name", null))
} else := _str(monitor.type) if {
	not _falsy(object.get(monitor, "type", null))
} else := concat("", ["monitors[", _text(index), "]"])

_bound_problem(metric, threshold, bound) := concat("", [
	"threshold is not a finite number (", threshold, ")",
]) if {
	threshold in {"nan", "inf", "-inf"} # a YAML .nan or .inf, as rego_input passes it on
} else := "threshold is not a number" if {
	not is_number(threshold)
} else := concat("", [
	"alerts at ", metric, " > ", _text(threshold), ", looser than the policy bound ",
	_text(bound.max),
]) if {
	threshold > bound.max
} else := concat("", [
	"alerts at ", metric, " < ", _text(threshold), ", looser than the policy bound ",
	_text(bound.min),
]) if {
	threshold < bound.min
}

_is_link(value) if {
	is_string(value)
	startswith(value, "https://")
}

_is_link(value) if {
	is_string(value)
	startswith(value, "http://")
}

# --- approvals: enough valid sign-offs per role of the tier --------------------------------

_approval_max_age_days := 180

# Tiers at which an approval must record the evidence it approved (`require_evidence`).
_approval_evidence_tiers := {"high"}

# An approvals-file entry counts only as its approver's own commit (`verify_authors`), signed at
# these tiers (`require_signed`).
_approval_verify_authors := true

_approval_signed_tiers := set()

# Reviews of the pull/merge request: the code host binds them to the change.
_review_sources := {"github", "gitlab"}

_approval_roles := {
	"high": [
		{"role": "model_risk", "count": 1},
		{"role": "privacy", "count": 1},
		{"role": "security", "count": 1},
	],
	"medium": [{"role": "model_risk", "count": 1}],
}

_required_roles := object.get(
	_approval_roles, input.subject.risk_tier,
	object.get(_approval_roles, "*", []),
)

_approval_shortfalls := {shortfall |
	some requirement in _required_roles
	shortfall := _role_shortfall(requirement)
}

# A rejection by a counted role holder outweighs any number of approvals.
_role_shortfall(requirement) := concat("", [
	requirement.role, " needs approval but ", concat(", ", rejected), " rejected it",
]) if {
	counted := _counted(requirement.role)
	rejected := [approval.by | some approval in counted; approval.decision == "rejected"]
	count(rejected) > 0
} else := concat("", [
	requirement.role, " needs ", _text(requirement.count), " approval(s), has ", _text(have),
	" valid",
]) if {
	counted := _counted(requirement.role)
	have := count({_id(approval.by) | some approval in counted; approval.decision != "rejected"})
	have < requirement.count
}

# Approvals given in the role (or in no role, as reviews are) by its roster, and not void.
_counted(role) := counted if {
	roster := _roster(role)
	counted := [approval |
		some approval in input.approvals
		object.get(approval, "role", null) in {null, role}
		_id(approval.by) in roster
		not _void_reason(approval)
	]
}

# govgate.identity for Rego: one form for every identity (case, surrounding spaces).
_id(who) := lower(trim_space(who))

_roster(role) := {_id(member) | some member in object.get(input.roles, role, [])}

# Why an approval by a roster member does not count; undefined when it does.
_void_reason(approval) := concat("", [
	"covers model ", approval.model, ", not ", input.subject.name,
]) if {
	not _falsy(object.get(approval, "model", null))
	lower(approval.model) != lower(input.subject.name)
} else := concat("", [
	"covers version ", approval.version, ", but the version under review is unknown ",
	"(resolve the model URI in the registry, or set model.version)",
]) if {
	not _falsy(object.get(approval, "version", null))
	_falsy(object.get(input.subject, "version", null))
} else := concat("", ["covers version ", approval.version, ", not ", input.subject.version]) if {
	not _falsy(object.get(approval, "version", null))
	approval.version != input.subject.version
} else := concat("", [
	"is dated ", substring(approval.on, 0, 10), ", after the evaluation time (",
	substring(input.at, 0, 10), "): a future approval proves nothing yet",
]) if {
	is_string(object.get(approval, "on", null))
	_ns(approval.on) > input.at_ns
} else := "has no date, so its age cannot be checked" if {
	object.get(approval, "on", null) == null
} else := concat("", [
	"is from ", substring(approval.on, 0, 10), ", older than ", _text(_approval_max_age_days),
	" days",
]) if {
	input.at_ns - _ns(approval.on) > _approval_max_age_days * _day_ns
} else := concat("", [
	"is void: the evidence changed after it was given (", concat(", ", sort(changed)), " changed)",
]) if {
	changed := [name |
		some name
		digest := approval.artifacts[name]
		not _unchanged(name, digest)
	]
	count(changed) > 0
} else := "is void: the evidence changed after it was given (evidence digest differs)" if {
	not _falsy(object.get(approval, "evidence_digest", null))
	approval.evidence_digest != input.evidence_digest
} else := "records no evidence digest: approve with `govgate approve`" if {
	input.subject.risk_tier in _approval_evidence_tiers
	not object.get(approval, "source", null) in _review_sources
	_falsy(object.get(approval, "evidence_digest", null))
	_falsy(object.get(approval, "artifacts", null))
} else := concat("", ["cannot be traced to ", approval.by, ": ", reason]) if {
	_approval_verify_authors
	approval.source == "file"
	reason := _untraced(approval)
} else := concat("", [
	"was committed by ", concat(", ", trace.others), ", not by ", approval.by,
	": an approvals entry counts only when its approver commits it",
]) if {
	trace := _file_provenance(approval)
	count(object.get(trace, "others", [])) > 0
} else := concat("", ["is not signed by ", approval.by, ": ", concat(", ", trace.unsigned)]) if {
	input.subject.risk_tier in _approval_signed_tiers
	trace := _file_provenance(approval)
	count(object.get(trace, "unsigned", [])) > 0
} else := concat("", ["is void: ", approval.by, " is also ", conflict]) if {
	conflict := _conflict(_id(approval.by))
}

# Why nobody can say who wrote an approvals-file entry; undefined when its history is known.
_untraced(approval) := "no record of who committed it" if {
	not is_object(object.get(approval, "provenance", null))
} else := approval.provenance.unattributed if {
	not _falsy(object.get(approval.provenance, "unattributed", null))
}

# Who wrote an approvals-file entry (`verify_authors`): its provenance when the file is the source.
_file_provenance(approval) := trace if {
	_approval_verify_authors
	approval.source == "file"
	trace := approval.provenance
	is_object(trace)
}

_unchanged(name, digest) if input.artifacts[name].sha256 == digest

# Separation of duties: the approver also wrote, created or asked to waive what is approved.
_conflict(who) := "the author of the change" if {
	author := input.change.author
	is_string(author)
	_id(author) == who
} else := "the creator of the model version" if {
	creator := input.mlflow.version.creator
	is_string(creator)
	_id(creator) == who
} else := "the requester of an exception" if {
	some exception in input.exceptions
	is_string(exception.requested_by)
	_id(exception.requested_by) == who
}

# Approvals that did not count, and why, for every role they could have counted for.
_approval_notes := {note |
	some requirement in _required_roles
	some i
	approval := input.approvals[i]
	object.get(approval, "role", null) in {null, requirement.role}
	reason := _note_reason(approval, i, requirement.role)
	note := _approval_note(approval, reason)
}

_note_reason(approval, i, role) := concat("", [approval.by, " is not in the ", role, " roster"]) if {
	not _id(approval.by) in _roster(role)
	approval.role == role
} else := reason if {
	_id(approval.by) in _roster(role)
	reason := _void_reason(approval)
} else := concat("", ["is a duplicate: ", approval.by, " already approved as ", role]) if {
	_id(approval.by) in _roster(role)
	object.get(approval, "decision", "approved") != "rejected"
	_approved_before(approval, i, role)
}

# An earlier entry by the same person already counts for the role: the later one adds nothing.
_approved_before(approval, i, role) if {
	some j
	earlier := input.approvals[j]
	j < i
	object.get(earlier, "role", null) in {null, role}
	_id(earlier.by) == _id(approval.by)
	not _void_reason(earlier)
	object.get(earlier, "decision", "approved") != "rejected"
}

_approval_note(approval, reason) := object.union(_location(approval.location), {"msg": msg}) if {
	msg := concat("", [
		approval.source, " approval by ", approval.by, " (", _label(approval.role), ") ", reason,
	])
}

_label(role) := "review" if role == null else := role

_location(location) := {"path": location.path, "line": location.line} if {
	is_object(location)
	is_string(location.path)
	is_number(location.line)
} else := {"path": location.path} if {
	is_object(location)
	is_string(location.path)
} else := {}

# --- values, shown and tested as the native checks do (Python's str, repr and truth) ---------

_falsy(value) if value in {null, false, 0, "", [], {}}

# Empty once stripped (a newline arrives as the two characters `\n`).
_blank(value) if _falsy(value)

_blank(value) if {
	is_string(value)
	regex.match(`^(?:\s|\\[nrt])*$`, value)
}

_object_or_empty(value) := value if is_object(value) else := {}

_array_or_empty(value) := value if is_array(value) else := []

# Any value as text. Never pass a string through sprintf's "... %s ..." in regopy: a string
# held in a variable comes out quoted, and the package output is then not valid JSON.
_text(value) := value if is_string(value) else := sprintf("%v", [value])

_q(text) := concat("", ["'", text, "'"])

# str(value)
_str(value) := value if {
	is_string(value)
} else := "True" if {
	value == true
} else := "False" if {
	value == false
} else := "None" if {
	value == null
} else := sprintf("%v", [value])

# repr(value), in full: regopy's substring counts JSON escapes, and cutting one in half
# would make the package output invalid JSON.
_show(value) := _q(value) if is_string(value) else := _str(value)

# --- time: ISO 8601 dates and date-times, as datetime.fromisoformat reads the common ones ---

# Nanoseconds since the epoch; undefined for anything that is not a valid date or date-time.
_ns(value) := ns if {
	text := _rfc3339(value)
	_valid_rfc3339(text)
	ns := time.parse_rfc3339_ns(text)
}

# YYYY-MM-DD, or YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|+HH:MM]; no zone means UTC.
_rfc3339(value) := concat("", [value, "T00:00:00+00:00"]) if {
	is_string(value)
	regex.match(`^\d{4}-\d{2}-\d{2}$`, value)
} else := concat("", [substring(value, 0, 10), "T", substring(value, 11, 5), seconds, zone]) if {
	is_string(value)
	regex.match(_datetime_pattern, value)
	rest := substring(value, 16, -1)
	seconds := _first_or(regex.find_n(`^:\d{2}(?:\.\d+)?`, rest, 1), ":00")
	zone := _zone(_first_or(regex.find_n(`(?:[Zz]|[+-]\d{2}:\d{2})$`, rest, 1), "Z"))
}

_datetime_pattern := concat("", [
	`^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}`,
	`(?::\d{2}(?:\.\d{1,9})?)?`,
	`(?:[Zz]|[+-]\d{2}:\d{2})?$`,
])

_first_or(found, default_value) := found[0] if count(found) > 0 else := default_value

_zone(zone) := "+00:00" if zone in {"Z", "z"} else := zone

# time.parse_rfc3339_ns fails the whole package on an impossible date: reject those first.
_valid_rfc3339(text) if {
	year := _int(substring(text, 0, 4))
	month := _int(substring(text, 5, 2))
	day := _int(substring(text, 8, 2))
	zone := substring(text, count(text) - 6, 6)
	year >= 1
	month >= 1
	month <= 12
	day >= 1
	day <= _days_in_month(year, month)
	_int(substring(text, 11, 2)) < 24
	_int(substring(text, 14, 2)) < 60
	_int(substring(text, 17, 2)) < 60
	_int(substring(zone, 1, 2)) < 24
	_int(substring(zone, 4, 2)) < 60
}

# regopy: a number from to_number("09") keeps its leading zero and compares wrongly (09 < 3).
_int(digits) := to_number(trim_left(digits, "0")) if trim_left(digits, "0") != "" else := 0

_days_in_month(year, month) := 29 if {
	month == 2
	_leap(year)
} else := 28 if {
	month == 2
} else := 30 if {
	month in {4, 6, 9, 11}
} else := 31

_leap(year) if {
	year % 4 == 0
	year % 100 != 0
}

_leap(year) if year % 400 == 0

_date(ns) := sprintf("%04d-%02d-%02d", time.date(ns))
