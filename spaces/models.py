# Spaces (Leerstand, Zwischennutzung): built in the "Spaces" issue.
