# The reports app stores nothing: every figure is computed from assessments.
