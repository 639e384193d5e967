output "writer_id" {
  value = azurerm_role_assignment.writer.id
}
