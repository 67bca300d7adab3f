"""The steering board (Lenkungsgremium): the cross-group ranking table and idea dossiers."""
