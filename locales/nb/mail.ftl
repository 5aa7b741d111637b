## E-postlevering i backoffice.

mail-undeliverable-title = E-post som ikke kunne leveres
mail-undeliverable-intro = Disse e-postene ble avvist av den mottakende e-postserveren eller kunne ikke leveres etter gjentatte forsøk. De sendes ikke igjen før du setter dem i kø på nytt, for eksempel etter at kundens adresse er rettet.
mail-undeliverable-none = Ingen e-post som ikke kunne leveres.
mail-failed-at = Mislyktes
mail-recipient = Mottaker
mail-subject = Emne
mail-attempts = Forsøk
mail-error = Siste feil
mail-retry = Send på nytt
mail-retry-queued = E-posten er satt i kø igjen og sendes om kort tid.
mail-retry-unknown = Denne e-posten er ikke blant dem som ikke kunne leveres.
