"""The complaint desk's workflows: adding a complaint, deadlines and what is due, points
exposure, what else is at risk, the evidence on file and the appeal pack. The records and
their store are ``trademarks.complaints``; working days are ``trademarks.deadlines``."""
