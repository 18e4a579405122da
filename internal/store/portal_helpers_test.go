package store

// One-transaction forms of the View and Tx methods, so that the store's
// tests can state a read or a write in one line.

// Labels lists the association types from p.From to p.To: the HubSpot-defined
// ones first, then the portal's own labels by typeId.
func (pt *Portal) Labels(p Pair) []AssocType {
	var out []AssocType
	pt.View(func(v *View) { out = v.Labels(p) })
	return out
}

// Counts returns how many custom labels (one per definition) and limits the
// portal has.
func (pt *Portal) Counts() (labels, limits int) {
	pt.View(func(v *View) { labels, limits = v.Counts() })
	return labels, limits
}

// CreateLabel is Tx.CreateLabel in a transaction of its own.
func (pt *Portal) CreateLabel(p Pair, in LabelInput) ([]AssocType, error) {
	var created []AssocType
	err := pt.Update(func(tx *Tx) error {
		var err error
		created, err = tx.CreateLabel(p, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// UpdateLabel is Tx.UpdateLabel in a transaction of its own.
func (pt *Portal) UpdateLabel(p Pair, typeID int32, label string, inverseLabel *string) error {
	return pt.Update(func(tx *Tx) error { return tx.UpdateLabel(p, typeID, label, inverseLabel) })
}

// DeleteLabel is Tx.DeleteLabel in a transaction of its own.
func (pt *Portal) DeleteLabel(p Pair, typeID int32) error {
	return pt.Update(func(tx *Tx) error { return tx.DeleteLabel(p, typeID) })
}

// Limits returns the limits configured on pair p, by typeId.
func (pt *Portal) Limits(p Pair) []Limit {
	var out []Limit
	pt.View(func(v *View) { out = v.Limits(p) })
	return out
}

// AllLimits returns every configured limit of the portal, by pair and typeId.
func (pt *Portal) AllLimits() []Limit {
	var out []Limit
	pt.View(func(v *View) { out = v.AllLimits() })
	return out
}
