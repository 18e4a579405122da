package crmproperties

import "github.com/mockhub/mockhub/internal/store"

// Render shapes one property as the Properties API answers it, for the
// schemas API, which lists a custom object type's properties the same way.
func Render(p store.PropertyInfo) any { return render(p) }
