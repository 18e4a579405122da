package auth

import (
	"fmt"
	"net/url"
	"slices"
)

// App is one OAuth app of a tokens file's apps section. Once a file
// declares apps, only they can authorize and exchange tokens, strictly: an
// unknown client, a wrong secret, a redirect URI not listed or a scope not
// allowed is refused.
type App struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	// RedirectURIs are the URIs authorize may redirect to, compared
	// exactly (as HubSpot compares an app's redirect URL).
	RedirectURIs []string `json:"redirectUris"`
	// Scopes are the scopes the app may ask for (scope and optional_scope).
	Scopes []string `json:"scopes"`
	// PortalID is the portal that installs the app; zero lets the
	// authorize request choose (mockhub_portal) or the default apply.
	PortalID int64 `json:"portalId,omitempty"`
	// AppID is the app's id in token info; zero derives one from ClientID.
	AppID int64 `json:"appId,omitempty"`
}

// checkApps validates the apps section of a tokens file.
func checkApps(apps []App) (map[string]App, error) {
	out := make(map[string]App, len(apps))
	for i, a := range apps {
		switch {
		case a.ClientID == "":
			return nil, fmt.Errorf("apps[%d]: clientId is required", i)
		case a.ClientSecret == "":
			return nil, fmt.Errorf("apps[%d]: clientSecret is required", i)
		case len(a.RedirectURIs) == 0:
			return nil, fmt.Errorf("apps[%d]: redirectUris needs at least one URI", i)
		case a.PortalID < 0:
			return nil, fmt.Errorf("apps[%d]: portalId must be a positive integer", i)
		case a.AppID < 0:
			return nil, fmt.Errorf("apps[%d]: appId must be a positive integer", i)
		}
		if _, dup := out[a.ClientID]; dup {
			return nil, fmt.Errorf("apps[%d]: clientId %q listed twice", i, a.ClientID)
		}
		for j, u := range a.RedirectURIs {
			if p, err := url.Parse(u); err != nil || !p.IsAbs() {
				return nil, fmt.Errorf("apps[%d].redirectUris[%d]: %q is not an absolute URL", i, j, u)
			}
		}
		a.Scopes = slices.Clone(a.Scopes)
		out[a.ClientID] = a
	}
	return out, nil
}
