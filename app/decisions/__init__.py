"""The steering board's decisions: the decision form, meetings with their agenda
(Sitzungsvorlage, printable and as CSV) and the public page /decisions."""
