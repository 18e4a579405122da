package store

// LimitUse says how close the records of l.Pair.From are to limit l: it
// maps a number of partners (of l's type, or of any type when l is on the
// pair's unlabeled type, as the limit counts them) to how many live records
// have that many. Records without partners are not counted. It costs one
// step per record of the type that has partners, not per association.
func (v *View) LimitUse(l Limit) map[int32]int {
	out := map[int32]int{}
	typeID := l.TypeID
	if unl, ok := v.pt.catalog.unlabeled[l.Pair]; ok && unl == typeID {
		typeID = 0
	}
	itr := v.assocs().counts.Iterator()
	itr.Seek(countKey{l.Pair.From, 0, "", 0})
	for !itr.Done() {
		k, n, _ := itr.Next()
		if k.typ != l.Pair.From {
			break
		}
		if k.toType != l.Pair.To || k.typeID != typeID || n <= 0 || !v.live(k.typ, k.id) {
			continue
		}
		out[n]++
	}
	return out
}
