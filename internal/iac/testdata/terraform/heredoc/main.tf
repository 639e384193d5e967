resource "azurerm_role_assignment" "tagged" {
  scope                = var.scope
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  condition_version    = "2.0"
  condition            = <<EOT
(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})
 )
 OR
 (
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'
 )
)
EOT
}
