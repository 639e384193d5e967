resource "azurerm_role_assignment" "broken" {
  scope     = var.scope
  condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'
}
