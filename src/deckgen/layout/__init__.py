"""Layout stage: slide plans (plain dataclasses), text fitting, the brand frame and the review."""
