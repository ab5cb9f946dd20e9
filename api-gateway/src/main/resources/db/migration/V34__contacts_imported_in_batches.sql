-- Imports write the contacts of a batch as one ContactsImportedEvent instead of one ContactCreated
-- event per contact: a contact created by an import has no event at sequence 0 of its own stream,
-- and these columns say which event holds its creation.

-- command side: the contact aggregate's loading reads the creation from here
ALTER TABLE contact_identity ADD COLUMN origin_event UUID;

-- read model: the contact's timeline shows its creation from here
ALTER TABLE contact ADD COLUMN origin_event UUID;
