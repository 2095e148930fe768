# Meetings, agendas and minutes: built in the "Meetings" issue.
