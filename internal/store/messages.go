package store

// Messages of the business-rule errors the store reports. HubSpot publishes
// none of these texts (HUBSPOT.md §12); ours name the offending value so a
// test failure explains itself.
const (
	MsgLabelNameTaken      = "A label named '%s' already exists between %s and %s"
	MsgTooManyLabels       = "At most %d custom association labels are allowed between %s and %s"
	MsgLabelEmpty          = "label must not be empty"
	MsgInverseLabelEmpty   = "inverseLabel must not be empty when given"
	MsgNameEmpty           = "name must not be empty"
	MsgNameInvalid         = "name '%s' is not a valid internal name: it may not contain hyphens or spaces, nor start with a digit"
	MsgHubSpotDefinedLabel = "Association type %d is defined by HubSpot and cannot be %s"
	MsgDefaultTypeLabel    = "Association type %d is the default association type from %s to %s and cannot be %s"
	MsgLabelNotFound       = "No association label with typeId %d exists from %s to %s"
	MsgLabelUsedByRecords  = "Association label %d cannot be deleted while records are associated with it; only labels not in use can be deleted"
	MsgLabelInUse          = "Association label %d cannot be deleted while an association limit uses typeId %d; purge the limit first"

	MsgTooManyDeferred  = "This portal already holds %d deferred batches; no more can be deferred until some take effect"
	MsgUnknownType      = "typeId %d is not an association type from %s to %s"
	MsgWrongCategory    = "typeId %d has category %s, not %s"
	MsgLimitExists      = "A limit already exists for typeId %d"
	MsgLimitMissing     = "No limit exists for typeId %d"
	MsgLimitOutOfRange  = "maxToObjectIds %d for typeId %d is out of range; the valid range is 1-%d"
	MsgLabelAboveObject = "maxToObjectIds %d for label typeId %d exceeds the limit of %d on the unlabeled typeId %d; the valid range is 1-%d"
	MsgObjectBelowLabel = "maxToObjectIds %d for typeId %d is below the limit of %d on label typeId %d; the valid range is %d-%d"
)
