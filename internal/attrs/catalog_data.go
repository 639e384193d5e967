package attrs

// The attribute and action tables, transcribed from Azure's documentation pages "Actions and
// attributes for Azure role assignment conditions" of each service (Blob Storage, Queue Storage),
// "Authorization actions and attributes" (role-assignment delegation), "Azure ABAC repository
// permissions in Azure Container Registry", "Actions and attributes for Azure Key Vault ABAC
// conditions" and "Azure role assignment condition format and syntax" (environment and principal
// attributes). Ids follow table order, so append new entries; bundles carry attribute names and
// relink at load time.

const (
	blobSvc  = "Blob Storage"
	queueSvc = "Queue Storage"
	authzSvc = "Role assignment delegation"
	envSvc   = "Environment"
	dirSvc   = "Microsoft Entra ID"
	acrSvc   = "Container Registry"
	kvSvc    = "Key Vault"
)

// Blob Storage data actions.
const (
	blobs               = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
	blobRead            = blobs + "/read"
	blobWrite           = blobs + "/write"
	blobAdd             = blobs + "/add/action"
	blobDelete          = blobs + "/delete"
	blobFilter          = blobs + "/filter/action"
	blobTagsRead        = blobs + "/tags/read"
	blobTagsWrite       = blobs + "/tags/write"
	blobDeleteVersion   = blobs + "/deleteBlobVersion/action"
	blobPermanentDelete = blobs + "/permanentDelete/action"
	blobMove            = blobs + "/move/action"
	blobImmutable       = blobs + "/immutableStorage/runAsSuperUser/action"
	blobManageOwnership = blobs + "/manageOwnership/action"
	blobModifyPerms     = blobs + "/modifyPermissions/action"
	blobRunAsSuperUser  = blobs + "/runAsSuperUser/action"
)

// Queue Storage data actions.
const (
	messages       = "Microsoft.Storage/storageAccounts/queueServices/queues/messages"
	messageRead    = messages + "/read"
	messageWrite   = messages + "/write"
	messageAdd     = messages + "/add/action"
	messageDelete  = messages + "/delete"
	messageProcess = messages + "/process/action"
)

// Role-assignment delegation (control-plane) actions.
const (
	roleAssignmentWrite  = "Microsoft.Authorization/roleAssignments/write"
	roleAssignmentDelete = "Microsoft.Authorization/roleAssignments/delete"
)

// Container Registry repository data actions.
const (
	repos             = "Microsoft.ContainerRegistry/registries/repositories"
	repoContentRead   = repos + "/content/read"
	repoContentWrite  = repos + "/content/write"
	repoContentDelete = repos + "/content/delete"
	repoMetaRead      = repos + "/metadata/read"
	repoMetaWrite     = repos + "/metadata/write"
	repoMetaDelete    = repos + "/metadata/delete"
)

// Key Vault secret data actions.
const (
	secrets            = "Microsoft.KeyVault/vaults/secrets"
	secretGet          = secrets + "/getSecret/action"
	secretReadMetadata = secrets + "/readMetadata/action"
	secretSet          = secrets + "/setSecret/action"
	secretUpdate       = secrets + "/update/action"
	secretRotate       = secrets + "/rotate/action"
	secretDelete       = secrets + "/delete"
	secretBackup       = secrets + "/backup/action"
	secretRestore      = secrets + "/restore/action"
	secretRecover      = secrets + "/recover/action"
	secretPurge        = secrets + "/purge/action"
)

// Which actions supply which attributes, per the "Resource attributes" and "Request attributes"
// rows of each action's table in the documentation.
var (
	// allBlobActions: every Blob Storage data action (account name, isHnsEnabled).
	allBlobActions = []string{blobRead, blobFilter, blobTagsRead, blobWrite, blobAdd, blobDelete, blobDeleteVersion,
		blobPermanentDelete, blobMove, blobTagsWrite, blobImmutable, blobManageOwnership, blobModifyPerms, blobRunAsSuperUser}
	// blobObjectActions: every blob action on a container or blob, i.e. all but "Find blobs by
	// tags" (container name, blob path).
	blobObjectActions = []string{blobRead, blobTagsRead, blobWrite, blobAdd, blobDelete, blobDeleteVersion,
		blobPermanentDelete, blobMove, blobTagsWrite, blobImmutable, blobManageOwnership, blobModifyPerms, blobRunAsSuperUser}
	// isCurrentVersionActions: Read a blob, Read blob index tags, Sets the access tier (write),
	// Write blob index tags, Delete a blob, Permanently delete, All data operations (HNS).
	isCurrentVersionActions = []string{blobRead, blobTagsRead, blobWrite, blobTagsWrite, blobDelete, blobPermanentDelete, blobRunAsSuperUser}
	// snapshotActions: Read a blob, Read blob index tags, Sets the access tier, Write blob index
	// tags, Delete a blob, Permanently delete.
	snapshotActions = []string{blobRead, blobTagsRead, blobWrite, blobTagsWrite, blobDelete, blobPermanentDelete}
	// versionIDActions: the snapshot actions plus Delete a version of a blob.
	versionIDActions = []string{blobRead, blobTagsRead, blobWrite, blobTagsWrite, blobDelete, blobDeleteVersion, blobPermanentDelete}
	// allQueueActions: every Queue Storage data action.
	allQueueActions = []string{messageRead, messageAdd, messageWrite, messageDelete, messageProcess}
	// allRepoActions: every Container Registry repository data action.
	allRepoActions = []string{repoContentRead, repoContentWrite, repoContentDelete, repoMetaRead, repoMetaWrite, repoMetaDelete}
	// secretResourceActions: the Key Vault secret actions on an existing secret.
	secretResourceActions = []string{secretGet, secretReadMetadata, secretUpdate, secretRotate, secretDelete, secretBackup, secretRecover, secretPurge}
	// allSecretActions: every Key Vault secret data action (vault name is a global attribute).
	allSecretActions = []string{secretGet, secretReadMetadata, secretSet, secretUpdate, secretRotate, secretDelete, secretBackup, secretRestore, secretRecover, secretPurge}
)

var azureAttributes = []Attribute{
	{Source: Resource, Name: "Microsoft.Storage/storageAccounts:name", Type: TypeString, Title: "Account name", Service: blobSvc, Actions: joinActions(allBlobActions, allQueueActions)},
	{Source: Resource, Name: "Microsoft.Storage/storageAccounts/blobServices/containers:name", Type: TypeString, Title: "Container name", Service: blobSvc, Actions: blobObjectActions},
	{Source: Resource, Name: blobs + ":path", Type: TypeString, Title: "Blob path", Service: blobSvc, Actions: blobObjectActions},
	{Source: Request, Name: blobs + ":prefix", Type: TypeString, Title: "Blob prefix", Service: blobSvc, Actions: []string{blobRead}},
	// Blob index tags: one dictionary serves both "Blob index tags [Values in key]" (NAME:KEY<$key_case_sensitive$>)
	// and "Blob index tags [Keys]" (NAME&$keys$&).
	{Source: Resource, Name: blobs + "/tags", Type: TypeString, Dict: DictTagged, Title: "Blob index tags", Service: blobSvc, Actions: []string{blobRead, blobTagsRead, blobTagsWrite}},
	{Source: Request, Name: blobs + "/tags", Type: TypeString, Dict: DictTagged, Title: "Blob index tags", Service: blobSvc, Actions: []string{blobWrite, blobAdd, blobTagsWrite}},
	{Source: Resource, Name: "Microsoft.Storage/storageAccounts/blobServices/containers/metadata", Type: TypeString, Dict: DictPlain, Title: "Container metadata", Service: blobSvc, Actions: blobObjectActions},
	{Source: Resource, Name: "Microsoft.Storage/storageAccounts/encryptionScopes:name", Type: TypeString, Title: "Encryption scope name", Service: blobSvc, Actions: []string{blobRead, blobWrite, blobAdd}},
	// (An @Request[Microsoft.Storage/storageAccounts/encryptionScopes:name] entry stood here; Azure
	// documents the encryption scope name as a Resource attribute only, so it was removed.)
	{Source: Resource, Name: blobs + ":isCurrentVersion", Type: TypeBoolean, Title: "Is Current Version", Service: blobSvc, Actions: isCurrentVersionActions},
	{Source: Resource, Name: "Microsoft.Storage/storageAccounts:isHnsEnabled", Type: TypeBoolean, Title: "Is hierarchical namespace enabled", Service: blobSvc, Actions: allBlobActions},
	{Source: Request, Name: blobs + ":snapshot", Type: TypeDateTime, Title: "Snapshot", Service: blobSvc, Actions: snapshotActions},
	{Source: Request, Name: blobs + ":versionId", Type: TypeDateTime, Title: "Version ID", Service: blobSvc, Actions: versionIDActions},
	{Source: Resource, Name: "Microsoft.Storage/storageAccounts/queueServices/queues:name", Type: TypeString, Title: "Queue name", Service: queueSvc, Actions: allQueueActions},
	{Source: Environment, Name: "isPrivateLink", Type: TypeBoolean, Title: "Is private link", Service: envSvc},
	{Source: Environment, Name: "Microsoft.Network/privateEndpoints", Type: TypeString, Title: "Private endpoint", Service: envSvc},
	{Source: Environment, Name: "Microsoft.Network/virtualNetworks/subnets", Type: TypeString, Title: "Subnet", Service: envSvc},
	{Source: Environment, Name: "UtcNow", Type: TypeDateTime, Title: "UTC now", Service: envSvc},
	{Source: Request, Name: "Microsoft.Authorization/roleAssignments:RoleDefinitionId", Type: TypeGuid, Title: "Role definition ID", Service: authzSvc, Actions: []string{roleAssignmentWrite}},
	{Source: Request, Name: "Microsoft.Authorization/roleAssignments:PrincipalId", Type: TypeGuid, Title: "Principal ID", Service: authzSvc, Actions: []string{roleAssignmentWrite}},
	{Source: Request, Name: "Microsoft.Authorization/roleAssignments:PrincipalType", Type: TypeString, Title: "Principal type", Service: authzSvc, Actions: []string{roleAssignmentWrite}},
	{Source: Resource, Name: "Microsoft.Authorization/roleAssignments:RoleDefinitionId", Type: TypeGuid, Title: "Role definition ID", Service: authzSvc, Actions: []string{roleAssignmentDelete}},
	{Source: Resource, Name: "Microsoft.Authorization/roleAssignments:PrincipalId", Type: TypeGuid, Title: "Principal ID", Service: authzSvc, Actions: []string{roleAssignmentDelete}},
	{Source: Resource, Name: "Microsoft.Authorization/roleAssignments:PrincipalType", Type: TypeString, Title: "Principal type", Service: authzSvc, Actions: []string{roleAssignmentDelete}},
	// Custom security attributes: `@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:<set>_<attribute>]`,
	// of any type and single or multi-valued; principal attributes are supplied with every action.
	{Source: Principal, Name: "Microsoft.Directory/CustomSecurityAttributes/Id", Type: Untyped, Dict: DictPlain, Title: "Custom security attributes", Service: dirSvc},

	// Appended entries.

	// List blob include: the values of the List Blobs `include` parameter (preview), compared with
	// cross-product operators.
	{Source: Request, Name: blobs + ":include", Type: TypeString, Multi: true, Title: "List blob include", Service: blobSvc, Actions: []string{blobRead}},
	{Source: Request, Name: "Microsoft.ContainerRegistry/registries/repositories:name", Type: TypeString, Title: "Repository name", Service: acrSvc, Actions: allRepoActions},
	{Source: Resource, Name: "Microsoft.KeyVault/vaults:name", Type: TypeString, Title: "Vault name", Service: kvSvc, Actions: allSecretActions},
	{Source: Resource, Name: "Microsoft.KeyVault/vaults/secrets:name", Type: TypeString, Title: "Secret name", Service: kvSvc, Actions: secretResourceActions},
	{Source: Request, Name: "Microsoft.KeyVault/vaults/secrets:name", Type: TypeString, Title: "Secret name (Request)", Service: kvSvc, Actions: []string{secretSet, secretRestore}},
}

var azureActions = []Action{
	{Name: blobRead, Title: "Read a blob", Service: blobSvc, SubOperations: []string{"Blob.List", "Blob.Read.WithTagConditions"}},
	{Name: blobWrite, Title: "Write to a blob", Service: blobSvc, SubOperations: []string{"Blob.Write.Tier", "Blob.Write.WithTagHeaders"}},
	{Name: blobAdd, Title: "Create a blob or snapshot, or append data", Service: blobSvc, SubOperations: []string{"Blob.Write.WithTagHeaders"}},
	{Name: blobDelete, Title: "Delete a blob", Service: blobSvc},
	{Name: blobTagsRead, Title: "Read blob index tags", Service: blobSvc},
	{Name: blobTagsWrite, Title: "Write blob index tags", Service: blobSvc},
	{Name: roleAssignmentWrite, Title: "Create or update role assignments", Service: authzSvc},
	{Name: roleAssignmentDelete, Title: "Delete a role assignment", Service: authzSvc},

	// Appended entries.
	{Name: blobFilter, Title: "Find blobs by tags", Service: blobSvc},
	{Name: blobDeleteVersion, Title: "Delete a version of a blob", Service: blobSvc},
	{Name: blobPermanentDelete, Title: "Permanently delete a blob overriding soft-delete", Service: blobSvc},
	{Name: blobMove, Title: "Rename a file or a directory", Service: blobSvc},
	{Name: blobImmutable, Title: "Write Blob legal hold and immutability policy", Service: blobSvc},
	{Name: blobManageOwnership, Title: "Change ownership of a blob", Service: blobSvc},
	{Name: blobModifyPerms, Title: "Modify permissions of a blob", Service: blobSvc},
	{Name: blobRunAsSuperUser, Title: "All data operations for accounts with hierarchical namespace enabled", Service: blobSvc},
	{Name: messageRead, Title: "Peek messages", Service: queueSvc},
	{Name: messageAdd, Title: "Put a message", Service: queueSvc},
	{Name: messageWrite, Title: "Put or update a message", Service: queueSvc},
	{Name: messageDelete, Title: "Clear messages", Service: queueSvc},
	{Name: messageProcess, Title: "Get or delete messages", Service: queueSvc},
	{Name: repoContentRead, Title: "Read repository content", Service: acrSvc},
	{Name: repoContentWrite, Title: "Write repository content", Service: acrSvc},
	{Name: repoContentDelete, Title: "Delete repository content", Service: acrSvc},
	{Name: repoMetaRead, Title: "Read repository metadata", Service: acrSvc},
	{Name: repoMetaWrite, Title: "Write repository metadata", Service: acrSvc},
	{Name: repoMetaDelete, Title: "Delete repository metadata", Service: acrSvc},
	{Name: secretGet, Title: "Get secret", Service: kvSvc},
	{Name: secretReadMetadata, Title: "Read secret metadata", Service: kvSvc},
	{Name: secretSet, Title: "Set secret", Service: kvSvc},
	{Name: secretUpdate, Title: "Update secret", Service: kvSvc},
	{Name: secretRotate, Title: "Rotate secret", Service: kvSvc},
	{Name: secretDelete, Title: "Delete secret", Service: kvSvc},
	{Name: secretBackup, Title: "Backup secret", Service: kvSvc},
	{Name: secretRestore, Title: "Restore secret", Service: kvSvc},
	{Name: secretRecover, Title: "Recover secret", Service: kvSvc},
	{Name: secretPurge, Title: "Purge secret", Service: kvSvc},
}

// joinActions returns a new slice holding the elements of the given slices in order.
func joinActions(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
