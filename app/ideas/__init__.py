"""Ideas: posting, the idea page, votes, assessments, editing and withdrawing."""
