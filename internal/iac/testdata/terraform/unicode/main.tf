resource "azurerm_role_assignment" "unicode" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  condition            = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Stadt<$key_case_sensitive$>] StringEquals 'Zürich' OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:部署<$key_case_sensitive$>] StringEquals '🚀\u00e9té'"
}
